import express from "express"
import { providerRoutes } from "./providers/index.js"

const app = express()
	app.disable("x-powered-by")
// Provider plugins: ahead of body parsers and catch-alls, as their routes parse their own bodies.
app.use(providerRoutes())
app.use(express.json())  // keep this comment

app.get("/", (_req, res) => {
	res.send("ok")
})

app.listen(3000)
