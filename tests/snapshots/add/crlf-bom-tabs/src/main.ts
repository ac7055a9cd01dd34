import express from "express"
import { providerRoutes } from "./providers/index.js"

const app = express()
	app.disable("x-powered-by")
app.use(express.json())  // keep this comment
app.use(providerRoutes())

app.get("/", (_req, res) => {
	res.send("ok")
})

app.listen(3000)
